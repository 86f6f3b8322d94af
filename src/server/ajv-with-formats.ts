import { Ajv, type Options } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its callable export is reached through `.default`.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** Ajv for draft-07 schemas, with the standard formats (date-time, uri, email ...). */
export function ajvWithFormats(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}
