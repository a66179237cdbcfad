/** SVG files bundled as text (esbuild's text loader, scripts/build.mjs). */
declare module '*.svg' {
  const text: string;
  export default text;
}
