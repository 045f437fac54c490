import { describe, expect, it } from 'vitest';

import { installStorageFallback, memoryStorage } from '../src/sdk/storage';

describe('storage fallback for sandboxed frames', () => {
  it('replaces storage the frame refuses, and keeps storage that works', () => {
    const working = memoryStorage();
    const win = {} as Record<string, unknown>;
    Object.defineProperty(win, 'sessionStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: The operation is insecure.');
      },
    });
    Object.defineProperty(win, 'localStorage', { configurable: true, value: working });
    expect(installStorageFallback(win as unknown as Window)).toEqual(['sessionStorage']);
    const s = win.sessionStorage as Storage;
    s.setItem('fdc3-desktop-agent-details', '{"a":1}');
    expect(s.getItem('fdc3-desktop-agent-details')).toBe('{"a":1}');
    expect(s.length).toBe(1);
    expect(s.key(0)).toBe('fdc3-desktop-agent-details');
    expect(s.getItem('missing')).toBeNull();
    s.removeItem('fdc3-desktop-agent-details');
    expect(s.length).toBe(0);
    expect(win.localStorage).toBe(working);
  });
});
