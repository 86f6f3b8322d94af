import { field, type StringField } from '../field.js';

/** An ISO 4217 alphabetic currency code; several data types carry one next to their amounts. */
export function currencyCodeField(title: string): StringField {
  return field.string(title, { pattern: '^[A-Z]{3}$' });
}
