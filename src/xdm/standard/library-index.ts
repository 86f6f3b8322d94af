/** The index of the generated standard library (xdm-library/index.json): what exists, where its file is. */
export type LibraryIndexEntry = {
  readonly $id: string;
  readonly 'meta:altId': string;
  readonly 'meta:resourceType': 'classes' | 'mixins' | 'datatypes' | 'behaviors';
  readonly title: string;
  readonly version: string;
  /** Below the library folder, e.g. `classes/_xdm.context.profile.json`. */
  readonly file: string;
};

export type LibraryIndex = {
  /** Where the facts come from (adobe/xdm, CC BY 4.0). */
  readonly source: { readonly repository: string; readonly commit: string; readonly license: string };
  readonly components: readonly LibraryIndexEntry[];
};
