import type { SquareIds } from './square-ids.js';
import { formatRfc3339 } from './rfc3339.js';
import { RowTable } from './row-table.js';
import { SortIndex } from './sort-index.js';

/**
 * The product catalog. Volumes are small, so each object keeps its full history of snapshots: `ListCatalog`
 * can then answer `catalog_version` (the catalog as of a version), and deleted objects stay visible to
 * `SearchCatalogObjects` with `include_deleted_objects`. Versions come from one catalog-wide counter that
 * never goes backwards and follows the clock, the way Square's do.
 */
export const CATALOG_TYPES = [
  'ITEM', 'IMAGE', 'CATEGORY', 'ITEM_VARIATION', 'TAX', 'DISCOUNT', 'MODIFIER_LIST', 'MODIFIER', 'PRICING_RULE', 'PRODUCT_SET',
  'TIME_PERIOD', 'MEASUREMENT_UNIT', 'SUBSCRIPTION_PLAN_VARIATION', 'ITEM_OPTION', 'ITEM_OPTION_VAL', 'CUSTOM_ATTRIBUTE_DEFINITION',
  'QUICK_AMOUNTS_SETTINGS', 'SUBSCRIPTION_PLAN', 'AVAILABILITY_PERIOD',
] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

/** What ListCatalog and SearchCatalogObjects return when no type is asked for (nested types are left out). */
export const DEFAULT_CATALOG_TYPES: readonly CatalogType[] = [
  'ITEM', 'CATEGORY', 'TAX', 'DISCOUNT', 'MODIFIER_LIST', 'PRICING_RULE', 'PRODUCT_SET', 'TIME_PERIOD', 'MEASUREMENT_UNIT',
  'SUBSCRIPTION_PLAN', 'ITEM_OPTION', 'CUSTOM_ATTRIBUTE_DEFINITION', 'QUICK_AMOUNTS_SETTINGS',
];

export function isCatalogType(value: string): value is CatalogType {
  return (CATALOG_TYPES as readonly string[]).includes(value);
}

/** `ITEM` -> `item_data`; the one irregular name is ITEM_OPTION_VAL's. */
export function catalogDataKey(type: CatalogType): string {
  return type === 'ITEM_OPTION_VAL' ? 'item_option_value_data' : `${type.toLowerCase()}_data`;
}

interface Snapshot {
  version: number;
  updatedAt: number;
  deleted: boolean;
  data: Record<string, unknown>;
}

export interface SquareCatalogObject {
  type: CatalogType;
  id: string;
  updated_at: string;
  version: number;
  is_deleted: boolean;
  present_at_all_locations: boolean;
  [dataKey: string]: unknown;
}

export class CatalogStore {
  readonly table = new RowTable();
  readonly type = this.table.column(Uint8Array);
  /** The item a variation belongs to (-1 for everything else). */
  readonly parent = this.table.column(Int32Array, -1);
  readonly byRow = new SortIndex(this.table, (row) => row);
  readonly byUpdated = new SortIndex(this.table, (row) => this.table.updated.get(row));
  private readonly history: Snapshot[][] = [];
  private readonly children = new Map<number, number[]>();
  private lastVersion = 0;

  constructor(private readonly ids: SquareIds) {}

  get count(): number {
    return this.table.size;
  }

  /** The newest version handed out (the catalog's current version). */
  get version(): number {
    return this.lastVersion;
  }

  typeOf(row: number): CatalogType {
    return CATALOG_TYPES[this.type.get(row)] as CatalogType;
  }

  id(row: number): string {
    return this.ids.catalog.encode(row);
  }

  rowOf(id: string): number | null {
    const row = this.ids.catalog.decode(id);
    return row !== null && row < this.table.size ? row : null;
  }

  childrenOf(row: number): readonly number[] {
    return this.children.get(row) ?? [];
  }

  add(type: CatalogType, data: Record<string, unknown>, now: number, parentRow = -1): number {
    const row = this.table.addRow();
    this.type.set(row, CATALOG_TYPES.indexOf(type));
    this.parent.set(row, parentRow);
    if (parentRow >= 0) this.children.set(parentRow, [...this.childrenOf(parentRow), row]);
    this.history[row] = [];
    this.record(row, now, false, data);
    return row;
  }

  update(row: number, data: Record<string, unknown>, now: number): void {
    this.record(row, now, false, data);
  }

  /** Deletes an object; deleting an item deletes its variations too, as Square does. */
  delete(row: number, now: number): number[] {
    const deleted = [row, ...this.childrenOf(row).filter((child) => !this.isDeleted(child))];
    for (const target of deleted) this.record(target, now, true, this.current(target).data);
    return deleted;
  }

  isDeleted(row: number): boolean {
    return this.table.deleted.get(row) === 1;
  }

  current(row: number): Snapshot {
    const snapshots = this.history[row];
    const last = snapshots?.[snapshots.length - 1];
    if (!last) throw new Error(`catalog row ${row} has no snapshot`);
    return last;
  }

  /** The snapshot that was current at `version`, or null when the object did not exist yet. */
  at(row: number, version: number): Snapshot | null {
    const snapshots = this.history[row] ?? [];
    for (let i = snapshots.length - 1; i >= 0; i -= 1) {
      const snapshot = snapshots[i] as Snapshot;
      if (snapshot.version <= version) return snapshot;
    }
    return null;
  }

  /**
   * The object as of a catalog version (default: now). An item carries its variations as they were at the
   * same version. Null when the object did not exist at that version.
   */
  render(row: number, asOf = Number.POSITIVE_INFINITY): SquareCatalogObject | null {
    const snapshot = this.at(row, asOf);
    if (!snapshot) return null;
    const type = this.typeOf(row);
    const data: Record<string, unknown> = { ...snapshot.data };
    if (type === 'ITEM') {
      const variations = this.childrenOf(row)
        .filter((child) => {
          const shot = this.at(child, asOf);
          return shot !== null && !shot.deleted;
        })
        .map((child) => this.render(child, asOf) as SquareCatalogObject);
      if (variations.length > 0) data.variations = variations;
    }
    return {
      type,
      id: this.id(row),
      updated_at: formatRfc3339(snapshot.updatedAt),
      version: snapshot.version,
      is_deleted: snapshot.deleted,
      present_at_all_locations: true,
      [catalogDataKey(type)]: data,
    };
  }

  /** The current object (every row has at least one snapshot). */
  renderCurrent(row: number): SquareCatalogObject {
    return this.render(row) as SquareCatalogObject;
  }

  private record(row: number, now: number, deleted: boolean, data: Record<string, unknown>): void {
    this.lastVersion = Math.max(this.lastVersion + 1, now);
    this.history[row]?.push({ version: this.lastVersion, updatedAt: now, deleted, data });
    this.table.updated.set(row, now);
    this.table.deleted.set(row, deleted ? 1 : 0);
    this.table.touch(row);
  }
}
