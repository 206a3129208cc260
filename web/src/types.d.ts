declare module 'bootstrap-italia/dist/plugins/fonts-loader.js' {
  /** Injects the @font-face rules for Titillium Web, Roboto Mono and Lora, loading the files from `path`. */
  const fontsLoader: (path?: string) => void;
  export default fontsLoader;
}
