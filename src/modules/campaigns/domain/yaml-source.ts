import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';

/** A place in a source file, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A parsed YAML file that can say where any field path of its data was written. */
export interface YamlSource {
  data: unknown;
  errors: Array<SourcePosition & { message: string }>;
  /** Where `path` is: its value, or with `key: true` its key; the nearest existing ancestor when absent. */
  locate(path: ReadonlyArray<PropertyKey>, options?: { key?: boolean }): SourcePosition;
}

/** Parses YAML keeping node positions; syntax errors and duplicate keys come back as positioned errors. */
export function parseYamlSource(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const errors = [...doc.errors, ...doc.warnings].map((e) => ({
    ...at(e.pos[0]),
    message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
  }));
  return {
    data: doc.errors.length > 0 ? undefined : doc.toJS(),
    errors,
    locate: (path, options = {}) => at(offsetOf(doc, path, options.key === true)),
  };
}

function offsetOf(doc: Document, path: ReadonlyArray<PropertyKey>, wantKey: boolean): number {
  let node: Node | null | undefined = doc.contents;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && wantKey) return keyNode.range?.[0] ?? offset;
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
