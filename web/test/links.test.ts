// Links as the app reads them from a paste: the same forms the command line takes.
import { describe, expect, it } from 'vitest';
import { layoutLinks, parseLink, sameServer } from '../src/links';

describe('links', () => {
  it('writes a layout’s app and web links and reads them back', () => {
    const links = layoutLinks('https://tessera.example.com/', 'lay_1');
    expect(links).toEqual({
      app: 'tessera://layout/lay_1?server=https%3A%2F%2Ftessera.example.com',
      web: 'https://tessera.example.com/l/lay_1',
    });
    expect(parseLink(links.app)).toMatchObject({ kind: 'layout', id: 'lay_1', view: false, server: 'https://tessera.example.com' });
    expect(parseLink(links.web)).toMatchObject({ kind: 'layout', id: 'lay_1', view: false, server: 'https://tessera.example.com' });
    const view = layoutLinks('http://10.0.0.5:7410', 'lay_2', true);
    expect(parseLink(view.app)).toMatchObject({ id: 'lay_2', view: true, server: 'http://10.0.0.5:7410' });
    expect(parseLink(view.web)).toMatchObject({ id: 'lay_2', view: true, server: 'http://10.0.0.5:7410' });
  });

  it('takes a bare id, a server under a path, and an invitation', () => {
    expect(parseLink(' lay_3 ')).toMatchObject({ kind: 'layout', id: 'lay_3', server: null });
    expect(parseLink('https://corp.example.com/tessera/l/lay_4')).toMatchObject({ id: 'lay_4', server: 'https://corp.example.com/tessera' });
    expect(parseLink('tessera://invite/tsi_abc?server=http://a')).toEqual({ kind: 'invitation', link: 'tessera://invite/tsi_abc?server=http://a' });
  });

  it('says what is not a layout link', () => {
    for (const bad of ['https://example.com/layouts/lay_1', 'tessera://layout/a/b', 'mailto:x@example.com', 'not a link', 'tessera://layout/a%20b']) {
      expect(parseLink(bad).kind, bad).toBe('error');
    }
  });

  it('compares servers by scheme, host and port', () => {
    expect(sameServer('http://127.0.0.1:7410/', 'http://127.0.0.1:7410')).toBe(true);
    expect(sameServer('https://Tessera.Example.com', 'https://tessera.example.com/')).toBe(true);
    expect(sameServer('http://127.0.0.1:7410', 'http://127.0.0.1:7411')).toBe(false);
  });
});
