import { Parser } from './parsers';

/** One configuration variable: its environment name, how to parse it, and what it means (for the README). */
export interface SettingSpec<T> {
  env: string;
  parse: Parser<T>;
  description: string;
}

export type NamespaceSpecs = Record<string, SettingSpec<unknown>>;

export type NamespaceValues<S extends NamespaceSpecs> = {
  [K in keyof S]: S[K] extends SettingSpec<infer T> ? T : never;
};

export interface Namespace<S extends NamespaceSpecs> {
  name: string;
  specs: S;
}

export function setting<T>(env: string, parse: Parser<T>, description: string): SettingSpec<T> {
  return { env, parse, description };
}

export function defineNamespace<S extends NamespaceSpecs>(name: string, specs: S): Namespace<S> {
  return { name, specs };
}
