import { Type, type TObject, type TProperties } from 'typebox';

/**
 * An open object that must also have properties named like JSON Schema keywords (`$id`, `$ref`). Those are named
 * only in `required` (and described in words): the API reference's schema resolver reads any key spelled `$id` or
 * `$ref` as the keyword, even under `properties`, and fails on the schema it finds there.
 */
export function objectAlsoRequiring<T extends TProperties>(properties: T, names: string[], options: { description: string }): TObject<T> {
  const required = Type.Object(properties).required ?? [];
  return Type.Object(properties, { ...options, additionalProperties: true, required: [...names, ...required] });
}
