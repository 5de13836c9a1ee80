/**
 * A fast path for the one document shape field-selected EK writes (`-T ek -e FIELD ...`):
 *
 *   {"timestamp":"1700000000000","layers":{"frame_number":["1"],"ip_src":["10.0.0.1"],...}}
 *
 * i.e. an object whose `layers` maps field keys to arrays of plain strings, without whitespace.
 * For such a line it picks out the first value of every model field (what
 * `flatValue(JSON.parse(line).layers, field)` gives) without building the layers object; for
 * anything else (escape sequences, control characters, other value types, whitespace, a
 * `__proto__` key, a truncated line) it returns false and the caller parses the line with
 * JSON.parse, which also produces the error for a malformed line. Exactness is checked against
 * JSON.parse on generated captures and on mutated lines (test/unit/tshark/ek-flat-scanner.test.ts).
 *
 * Why: JSON.parse and the objects it builds (an array and a string per field, kept as long as the
 * packet lives) were most of the parser's cost and of the garbage collector's work, and the parser
 * competes with tshark for the same two cores.
 */
import { F } from './ek-fields.js';

/** A backslash (an escape sequence) or a control character: lines JSON.parse must decode or reject. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what JSON.parse rejects in strings.
const NEEDS_JSON_PARSE = /[\\\u0000-\u001f]/;
const PREFIX = '{"timestamp":"';
const LAYERS = '","layers":{';

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** Flat EK key -> slot of the model field in the values array. */
const SLOT_OF_KEY = new Map<string, number>(Object.values(F).map((field) => [field.flatKey, field.slot]));

/** Number of slots `scanFlatEkFields` fills: one per model field (`EkField.slot`). */
export const MODEL_FIELD_COUNT = SLOT_OF_KEY.size;

/**
 * Fills `values[field.slot]` with the first value of each model field in a field-selected EK
 * document line (undefined for fields the line lacks or has as an empty array) and returns true;
 * returns false when the line is not exactly that shape (then `values` is meaningless: use JSON.parse).
 * A repeated key counts as JSON.parse counts it: the last one wins.
 */
export function scanFlatEkFields(line: string, values: (string | undefined)[]): boolean {
  if (!line.startsWith(PREFIX) || NEEDS_JSON_PARSE.test(line)) return false;
  let i = PREFIX.length;
  const timestampEnd = line.indexOf('"', i);
  if (timestampEnd === -1) return false;
  for (; i < timestampEnd; i++) {
    const c = line.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  if (!line.startsWith(LAYERS, timestampEnd)) return false;
  i = timestampEnd + LAYERS.length;
  if (line.charCodeAt(i) === CLOSE_BRACE) return closesDocument(line, i);
  for (;;) {
    // "key":["value","value",...]
    if (line.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = line.indexOf('"', i + 1);
    if (keyEnd === -1) return false;
    const key = line.slice(i + 1, keyEnd);
    // JSON.parse makes "__proto__" an own key; the lazy layers could not copy it faithfully.
    if (key === '__proto__') return false;
    const slot = SLOT_OF_KEY.get(key);
    i = keyEnd + 1;
    if (line.charCodeAt(i) !== COLON || line.charCodeAt(i + 1) !== OPEN_BRACKET) return false;
    i += 2;
    let first: string | undefined;
    if (line.charCodeAt(i) === CLOSE_BRACKET) i++;
    else {
      for (;;) {
        if (line.charCodeAt(i) !== QUOTE) return false;
        const valueEnd = line.indexOf('"', i + 1);
        if (valueEnd === -1) return false;
        first ??= line.slice(i + 1, valueEnd);
        i = valueEnd + 1;
        const next = line.charCodeAt(i++);
        if (next === CLOSE_BRACKET) break;
        if (next !== COMMA) return false;
      }
    }
    if (slot !== undefined) values[slot] = first;
    const next = line.charCodeAt(i);
    if (next === CLOSE_BRACE) return closesDocument(line, i);
    if (next !== COMMA) return false;
    i++;
  }
}

/** True when the layers object closing at `i` is followed by the document's `}` and nothing else. */
function closesDocument(line: string, i: number): boolean {
  return i + 2 === line.length && line.charCodeAt(i + 1) === CLOSE_BRACE;
}
