// Python sources are bundled as text (esbuild's text loader).
declare module "*.py" {
  const source: string;
  export default source;
}
