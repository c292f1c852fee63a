// js-yaml ships no types and @types/js-yaml is not installed; this is the one call the tests use.
declare module 'js-yaml' {
  export function load(text: string, options?: { schema?: unknown; json?: boolean }): unknown;
}
