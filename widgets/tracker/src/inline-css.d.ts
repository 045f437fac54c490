// Vite's `?inline` imports: a stylesheet as a string (uPlot's, put in the
// shadow root, where a document's stylesheet would not reach).
declare module '*.css?inline' {
  const css: string;
  export default css;
}
