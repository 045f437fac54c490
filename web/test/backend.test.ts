// How the page reads the core's rejections: one function, the same messages as before.
import { describe, expect, it } from 'vitest';
import { staleVersion, toShellError } from '../src/backend';
import { linkProblem } from '../src/links';

describe('toShellError', () => {
  it('takes the core’s plain message as it is', () => {
    expect(toShellError('cannot keep the draft on disk: disk full')).toEqual({ code: 'error', message: 'cannot keep the draft on disk: disk full' });
  });

  it('keeps a refusal’s code, status and the server’s body', () => {
    const body = { code: 'stale_version', message: 'version 3 is not the newest', current_version: 5 };
    const e = toShellError({ status: 409, code: 'stale_version', message: 'version 3 is not the newest', body });
    expect(e).toEqual({ code: 'stale_version', message: 'version 3 is not the newest', status: 409, details: body });
    expect(staleVersion(e)).toBe(5);
  });

  it('reads the core’s own layouts failure (status 0, no body)', () => {
    expect(toShellError({ status: 0, code: 'unavailable', message: 'connection refused' })).toEqual({
      code: 'unavailable',
      message: 'connection refused',
      status: 0,
    });
  });

  it('gives a ShellError back unchanged', () => {
    const e = toShellError({ status: 404, code: 'not_found', message: 'no such layout', body: { code: 'not_found', message: 'no such layout' } });
    expect(toShellError(e)).toEqual(e);
  });

  it('takes an exception’s message, and anything else as text', () => {
    expect(toShellError(new TypeError('x is undefined'))).toEqual({ code: 'error', message: 'x is undefined' });
    expect(toShellError(42)).toEqual({ code: 'error', message: '42' });
    expect(toShellError(null)).toEqual({ code: 'error', message: 'null' });
  });

  it('finds no stale version in other refusals, or without a number', () => {
    expect(staleVersion(toShellError({ status: 409, code: 'conflict', message: 'x', body: { current_version: 5 } }))).toBeUndefined();
    expect(staleVersion(toShellError({ status: 409, code: 'stale_version', message: 'x', body: { current_version: null } }))).toBeUndefined();
    expect(staleVersion(toShellError('stale_version'))).toBeUndefined();
  });
});

describe('linkProblem', () => {
  it('does not say whether a layout it may not see exists', () => {
    expect(linkProblem(toShellError({ status: 404, code: 'not_found', message: 'layout lay_1 not found' }))).toBe(
      'The layout in this link was not found, or it is not shared with you. Ask its owner to share it.',
    );
  });

  it('passes other failures on', () => {
    expect(linkProblem({ status: 0, code: 'unavailable', message: 'connection refused' })).toBe('The link did not open: connection refused');
    expect(linkProblem('not signed in')).toBe('The link did not open: not signed in');
  });
});
