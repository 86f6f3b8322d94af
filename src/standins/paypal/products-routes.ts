import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { invalidRequest, resourceNotFound } from './paypal-errors.js';
import type { Product } from './product-catalog.js';
import { QueryReader } from './query-params.js';
import { link, selfLink, withParams, type Link, type RouteContext } from './route-context.js';
import { isoSeconds } from './wire-format.js';

/**
 * `GET /v1/catalogs/products` (page-number paging, oldest first) and `GET /v1/catalogs/products/{id}`.
 * Every parameter problem is worded `INVALID_PARAMETER_VALUE` / "The value of a field is invalid.", the only
 * detail the spec allows on this operation's 400. A page past the end has no `products` key at all (the spec
 * gives the array minItems 1); `total_items`/`total_pages` come only with `total_required=true`.
 */

const PRODUCTS_PATH = '/v1/catalogs/products';

export function listProducts(request: StandInRequest, ctx: RouteContext): StandInResponse {
  const q = new QueryReader(request.url.searchParams, {
    uniform: { issue: 'INVALID_PARAMETER_VALUE', description: 'The value of a field is invalid.' },
  });
  const pageSize = q.integer('page_size', { min: 1, max: 20, fallback: 10 });
  const page = q.integer('page', { min: 1, max: 100000, fallback: 1 });
  const totalRequired = q.boolean('total_required', false);
  if (!q.ok) return invalidRequest(ctx.debugId(), q.details);

  const all = ctx.account.catalog.listed();
  const from = (page - 1) * pageSize;
  const products = all.slice(from, from + pageSize).map((p) => ({
    id: p.id,
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    create_time: isoSeconds(p.createTime),
    links: [productLink(ctx, p, 'self', 'GET')],
  }));
  const totalPages = Math.ceil(all.length / pageSize);
  const links: Link[] = [selfLink(ctx, request)];
  if (from + pageSize < all.length) links.push(link(ctx, PRODUCTS_PATH, 'next', withParams(request, { page: String(page + 1), page_size: String(pageSize) })));
  if (page > 1) links.push(link(ctx, PRODUCTS_PATH, 'prev', withParams(request, { page: String(page - 1), page_size: String(pageSize) })));

  return {
    status: 200,
    body: {
      ...(products.length > 0 ? { products } : {}),
      ...(totalRequired ? { total_items: all.length, total_pages: totalPages } : {}),
      links,
    },
  };
}

export function getProduct(productId: string, ctx: RouteContext): StandInResponse {
  const product = ctx.account.catalog.get(productId);
  if (!product) return resourceNotFound(ctx.debugId(), 'product_id', productId);
  return {
    status: 200,
    body: {
      id: product.id,
      name: product.name,
      ...(product.description !== undefined ? { description: product.description } : {}),
      type: product.type,
      ...(product.category !== undefined ? { category: product.category } : {}),
      ...(product.imageUrl !== undefined ? { image_url: product.imageUrl } : {}),
      ...(product.homeUrl !== undefined ? { home_url: product.homeUrl } : {}),
      create_time: isoSeconds(product.createTime),
      update_time: isoSeconds(product.updateTime),
      links: [productLink(ctx, product, 'self', 'GET'), productLink(ctx, product, 'edit', 'PATCH')],
    },
  };
}

function productLink(ctx: RouteContext, product: Product, rel: string, method: Link['method']): Link {
  return link(ctx, `${PRODUCTS_PATH}/${encodeURIComponent(product.id)}`, rel, undefined, method);
}
