// A module the config's js_modules.main names: the page imports it, and workers reach it through the page.
export function hello(name) {
  return `hello ${name} from the page's module`;
}
