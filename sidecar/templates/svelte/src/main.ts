// The widget's entry (dist/widget.js). Widget.svelte compiles to the custom
// element <{{tag}}> and defines it when its module runs; it runs only if the
// tag is still free, so the element is defined exactly once even if this
// module were evaluated twice (e.g. under another URL).
export const TAG = '{{tag}}';

if (!customElements.get(TAG)) {
  import('./Widget.svelte').catch((e) => console.error(`${TAG}: cannot define the element`, e));
}
