import { badValue } from '../../errors';
import { TYPE_CODES, numericValue, typeCode } from '../bson-values';
import { ValueTest, anyValue } from './values';

const NUMBER_CODES = [TYPE_CODES.double, TYPE_CODES.int, TYPE_CODES.long, TYPE_CODES.decimal];
const KNOWN_CODES = new Set(Object.values(TYPE_CODES));

function codesFor(spec: unknown): number[] {
  if (typeof spec === 'string') {
    if (spec === 'number') return NUMBER_CODES;
    const code = TYPE_CODES[spec];
    if (code === undefined) throw badValue(`Unknown type name alias: ${spec}`);
    return [code];
  }
  const n = numericValue(spec);
  if (n === null) throw badValue(`type must be represented as a number or a string`);
  const code = Number(n);
  if (!KNOWN_CODES.has(code)) throw badValue(`Invalid numerical type code: ${code}`);
  return [code];
}

/**
 * `$type` by alias, number or list. Numbers follow how they are stored: an integral value inside
 * the int32 range is `int`, other numbers `double`, 64-bit integers `long`; `number` is any of them.
 */
export function typeTest(spec: unknown): ValueTest {
  const codes = new Set((Array.isArray(spec) ? spec : [spec]).flatMap(codesFor));
  return (reached, expand) =>
    anyValue(reached, expand, (v) => {
      const code = typeCode(v);
      return code !== undefined && codes.has(code);
    });
}
