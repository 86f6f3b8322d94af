import type { StandInClock } from '../standin-server.js';
import { hashOf, pickBy } from './hash.js';
import { toEpochMs } from './wire-format.js';

/** Catalog products (`/v1/catalogs/products`): created and updated with the clock's time; PayPal has no delete. */

export const PRODUCT_TYPES = ['PHYSICAL', 'DIGITAL', 'SERVICE'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export interface Product {
  id: string;
  name: string;
  description?: string;
  type: ProductType;
  category?: string;
  imageUrl?: string;
  homeUrl?: string;
  createTime: number;
  updateTime: number;
}

export interface ProductInput {
  id?: string;
  name: string;
  description?: string;
  type?: ProductType;
  category?: string;
  imageUrl?: string;
  homeUrl?: string;
  /** Defaults to the clock's now. */
  createTime?: number | string | Date;
}

export type ProductChanges = Partial<Pick<Product, 'name' | 'description' | 'category' | 'imageUrl' | 'homeUrl'>>;

const ID_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export class ProductCatalog {
  private readonly products: Product[] = [];
  private readonly byId = new Map<string, Product>();
  private sorted = true;

  constructor(
    private readonly clock: StandInClock,
    private readonly seed: number,
  ) {}

  get size(): number {
    return this.products.length;
  }

  add(input: ProductInput): Product {
    const now = this.clock.now();
    const createTime = input.createTime === undefined ? now : toEpochMs(input.createTime);
    const product: Product = {
      id: input.id ?? this.nextId(),
      name: checkedText('name', input.name, 127),
      type: input.type ?? 'PHYSICAL',
      createTime,
      updateTime: createTime,
      ...(input.description !== undefined ? { description: checkedText('description', input.description, 256) } : {}),
      ...(input.category !== undefined ? { category: checkedCategory(input.category) } : {}),
      ...(input.imageUrl !== undefined ? { imageUrl: checkedUrl(input.imageUrl) } : {}),
      ...(input.homeUrl !== undefined ? { homeUrl: checkedUrl(input.homeUrl) } : {}),
    };
    if (!PRODUCT_TYPES.includes(product.type)) throw new Error(`unknown product type ${product.type}`);
    if (product.id.length < 6 || product.id.length > 50) throw new Error(`product id must be 6..50 characters: ${product.id}`);
    if (this.byId.has(product.id)) throw new Error(`duplicate product id ${product.id}`);
    const last = this.products[this.products.length - 1];
    if (last && compareProducts(last, product) > 0) this.sorted = false;
    this.products.push(product);
    this.byId.set(product.id, product);
    return product;
  }

  update(id: string, changes: ProductChanges): Product {
    const product = this.byId.get(id);
    if (!product) throw new Error(`no product ${id}`);
    if (changes.name !== undefined) product.name = checkedText('name', changes.name, 127);
    if (changes.description !== undefined) product.description = checkedText('description', changes.description, 256);
    if (changes.category !== undefined) product.category = checkedCategory(changes.category);
    if (changes.imageUrl !== undefined) product.imageUrl = checkedUrl(changes.imageUrl);
    if (changes.homeUrl !== undefined) product.homeUrl = checkedUrl(changes.homeUrl);
    product.updateTime = this.clock.now();
    return product;
  }

  get(id: string): Product | undefined {
    return this.byId.get(id);
  }

  at(index: number): Product | undefined {
    return this.products[index];
  }

  /** Listing order: oldest first (create_time, then id). */
  listed(): readonly Product[] {
    if (!this.sorted) {
      this.products.sort(compareProducts);
      this.sorted = true;
    }
    return this.products;
  }

  /** PayPal product ids look like `PROD-5FA83962WK9843916`. */
  private nextId(): string {
    let id = 'PROD-';
    for (let i = 0; i < 17; i += 1) id += pickBy(hashOf(this.seed, this.products.length, i, 0x9d), ID_ALPHABET.split(''));
    return this.byId.has(id) ? `${id.slice(0, 21)}X${this.products.length}` : id;
  }
}

function compareProducts(a: Product, b: Product): number {
  return a.createTime - b.createTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkedText(field: string, value: string, max: number): string {
  if (value.length < 1 || value.length > max) throw new Error(`product ${field} must be 1..${max} characters`);
  return value;
}

function checkedCategory(value: string): string {
  if (!/^[A-Z_]{4,256}$/.test(value)) throw new Error(`product category must be an upper-case PayPal category, got ${value}`);
  return value;
}

function checkedUrl(value: string): string {
  new URL(value); // throws on a malformed URL: the spec's format is `uri`
  return value;
}
