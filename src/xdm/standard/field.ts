/**
 * The field DSL: typed descriptions of XDM fields, keyed by their XDM *source* names
 * (`xdm:person`, `@id`, `repo:createDate`). Writing the source names keeps each definition
 * checkable against the XDM specification; `render-field.ts` turns them into XED form.
 */

/** Facts every field may carry. Descriptions are ours, one line; titles are XDM's names. */
type FieldFacts = {
  readonly title?: string;
  readonly description?: string;
  /** XDM marks retired fields `meta:status: deprecated` rather than removing them. */
  readonly deprecated?: boolean;
  /** Set by the repository only: it never changes once written. */
  readonly immutable?: boolean;
  /** `false` when the repository, not the user, maintains the value. */
  readonly userEditable?: boolean;
};

export type StringFormat = 'date' | 'date-time' | 'uri' | 'uri-reference' | 'email';

export type StringOptions = FieldFacts & {
  readonly format?: StringFormat;
  /** Closed list of allowed values (JSON Schema `enum`). */
  readonly enum?: readonly string[];
  /** Suggested values and their display labels (`meta:enum`); without `enum` they are open. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly default?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
};

export type NumberOptions = FieldFacts & {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
};

export type BooleanOptions = FieldFacts & { readonly default?: boolean };

export type ObjectOptions = FieldFacts & { readonly required?: readonly string[] };

export type StringField = StringOptions & { readonly kind: 'string' };
export type NumberField = NumberOptions & { readonly kind: 'number' };
/** Integers: the XDM storage type (byte/short/int/long) follows from `minimum`/`maximum`. */
export type IntegerField = NumberOptions & { readonly kind: 'integer' };
export type BooleanField = BooleanOptions & { readonly kind: 'boolean' };
export type ObjectField = ObjectOptions & { readonly kind: 'object'; readonly properties: Properties };
export type ArrayField = FieldFacts & { readonly kind: 'array'; readonly items: Field };
/** A map: an object whose keys are data, all values of one type. */
export type MapField = FieldFacts & { readonly kind: 'map'; readonly values: Field };
/** A field whose shape is another component (or one of its definitions), by `$id`. */
export type RefField = FieldFacts & { readonly kind: 'ref'; readonly ref: string };

export type Field =
  | StringField
  | NumberField
  | IntegerField
  | BooleanField
  | ObjectField
  | ArrayField
  | MapField
  | RefField;

/** Fields keyed by XDM source name. */
export type Properties = Readonly<Record<string, Field>>;

/**
 * Builders take an optional title first because most XDM fields have one;
 * `field.string({ ... })` covers the untitled ones.
 */
function titled<O extends FieldFacts>(titleOrOptions: string | O | undefined, options: O | undefined): O {
  if (typeof titleOrOptions === 'string') return { ...options, title: titleOrOptions } as O;
  return { ...titleOrOptions } as O;
}

export const field = {
  string(titleOrOptions?: string | StringOptions, options?: StringOptions): StringField {
    return { kind: 'string', ...titled(titleOrOptions, options) };
  },
  date(titleOrOptions?: string | FieldFacts, options?: FieldFacts): StringField {
    return { kind: 'string', ...titled(titleOrOptions, options), format: 'date' };
  },
  dateTime(titleOrOptions?: string | FieldFacts, options?: FieldFacts): StringField {
    return { kind: 'string', ...titled(titleOrOptions, options), format: 'date-time' };
  },
  number(titleOrOptions?: string | NumberOptions, options?: NumberOptions): NumberField {
    return { kind: 'number', ...titled(titleOrOptions, options) };
  },
  integer(titleOrOptions?: string | NumberOptions, options?: NumberOptions): IntegerField {
    return { kind: 'integer', ...titled(titleOrOptions, options) };
  },
  boolean(titleOrOptions?: string | BooleanOptions, options?: BooleanOptions): BooleanField {
    return { kind: 'boolean', ...titled(titleOrOptions, options) };
  },
  object(title: string | undefined, properties: Properties, options?: ObjectOptions): ObjectField {
    return { kind: 'object', ...titled(title ?? options, options), properties };
  },
  array(title: string | undefined, items: Field, options?: FieldFacts): ArrayField {
    return { kind: 'array', ...titled(title ?? options, options), items };
  },
  map(title: string | undefined, values: Field, options?: FieldFacts): MapField {
    return { kind: 'map', ...titled(title ?? options, options), values };
  },
  ref(title: string | undefined, ref: string, options?: FieldFacts): RefField {
    return { kind: 'ref', ...titled(title ?? options, options), ref };
  },
};
