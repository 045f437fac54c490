// The widget's entry (dist/movers.js). Movers.svelte compiles to the custom
// element <tessera-movers> and defines it when its module runs; it runs only
// if the tag is still free, so the element is defined exactly once even if
// this module were evaluated twice (e.g. under another URL).
export const TAG = 'tessera-movers';

if (!customElements.get(TAG)) {
  import('./Movers.svelte').catch((e) => console.error(`${TAG}: cannot define the element`, e));
}
