import type { StandInRequest, StandInResponse } from '../standin-server.js';
import { compareNewestFirst, DISPUTE_STATES, type Dispute } from './dispute-book.js';
import { invalidRequest, resourceNotFound } from './paypal-errors.js';
import { QueryReader } from './query-params.js';
import { link, selfLink, withParams, type Link, type RouteContext } from './route-context.js';
import { isoMillis, money } from './wire-format.js';

/**
 * `GET /v1/customer/disputes` (token paging, newest first) and `GET /v1/customer/disputes/{id}`.
 * - `next_page_token` is the position after the last item served (base64 of its create time and id), so a
 *   dispute updated while a client pages is neither skipped nor repeated; a token that is not one of ours is 400.
 * - `update_time_after`, `update_time_before` and `start_time` must lie within the last 180 days; without
 *   `update_time_after` only disputes updated in the last 180 days are listed, and `update_time_before`
 *   defaults to now. Both update bounds are inclusive.
 * - `start_time` (on create_time) and `disputed_transaction_id` exclude each other.
 * - `dispute_state` takes a comma-separated list of states.
 * The list has no `items` key when nothing matches (the spec gives the array minItems 1).
 */

const DISPUTES_PATH = '/v1/customer/disputes';
const WINDOW_MS = 180 * 86_400_000;

export function listDisputes(request: StandInRequest, ctx: RouteContext): StandInResponse {
  const q = new QueryReader(request.url.searchParams);
  const now = ctx.now();
  const startTime = q.dateTime('start_time');
  const transactionId = q.string('disputed_transaction_id', { minLength: 1, maxLength: 255, pattern: /^[0-9A-Z_]+$/ });
  const pageSize = q.integer('page_size', { min: 1, max: 50, fallback: 10 });
  const tokenText = q.string('next_page_token', { minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9+/=]+$/ });
  const states = readStates(q);
  const before = q.dateTime('update_time_before');
  const after = q.dateTime('update_time_after');
  if (!q.ok) return invalidRequest(ctx.debugId(), q.details);

  const oldest = now - WINDOW_MS;
  for (const [name, value] of [['start_time', startTime], ['update_time_after', after], ['update_time_before', before]] as const) {
    if (value !== undefined && value < oldest) q.fail(name, q.raw(name), 'INVALID_PARAMETER_VALUE', `${name} must be within the last 180 days.`);
  }
  if (startTime !== undefined && transactionId !== undefined) {
    q.fail('disputed_transaction_id', transactionId, 'INVALID_PARAMETER_VALUE', 'Specify either start_time or disputed_transaction_id, not both.');
  }
  if (after !== undefined && before !== undefined && after > before) {
    q.fail('update_time_before', q.raw('update_time_before'), 'INVALID_PARAMETER_VALUE', 'update_time_before must not be before update_time_after.');
  }
  const position = tokenText === undefined ? null : decodeToken(tokenText);
  if (tokenText !== undefined && position === null) q.fail('next_page_token', tokenText, 'INVALID_PARAMETER_VALUE', 'The page token is invalid.');
  if (!q.ok) return invalidRequest(ctx.debugId(), q.details);

  const updatedFrom = after ?? oldest;
  const updatedTo = before ?? now;
  const matches = (d: Dispute) =>
    d.updateTime >= updatedFrom &&
    d.updateTime <= updatedTo &&
    (startTime === undefined || d.createTime >= startTime) &&
    (transactionId === undefined || d.transactionId === transactionId) &&
    (states === undefined || states.has(d.state));

  const items: Dispute[] = [];
  let more = false;
  for (const dispute of ctx.account.disputeBook.listed()) {
    if (position && compareNewestFirst(dispute, position) <= 0) continue;
    if (!matches(dispute)) continue;
    if (items.length === pageSize) {
      more = true;
      break;
    }
    items.push(dispute);
  }

  const links: Link[] = [selfLink(ctx, request)];
  const last = items[items.length - 1];
  if (more && last) {
    links.push(link(ctx, DISPUTES_PATH, 'next', withParams(request, { next_page_token: encodeToken(last), page_size: String(pageSize) })));
  }
  return {
    status: 200,
    body: {
      ...(items.length > 0 ? { items: items.map((d) => disputeSummary(d, ctx)) } : {}),
      links,
    },
  };
}

export function getDispute(id: string, ctx: RouteContext): StandInResponse {
  const dispute = ctx.account.disputeBook.get(id);
  if (!dispute) return resourceNotFound(ctx.debugId(), 'id', id);
  const account = ctx.account;
  const index = dispute.transactionId === undefined ? null : account.ledger.store.indexOf(dispute.transactionId);
  const amount = money(dispute.amountMinor, dispute.currency);
  return {
    status: 200,
    body: {
      dispute_id: dispute.id,
      create_time: isoMillis(dispute.createTime),
      update_time: isoMillis(dispute.updateTime),
      ...(dispute.transactionId !== undefined
        ? {
            disputed_transactions: [
              {
                seller_transaction_id: dispute.transactionId,
                ...(index !== null ? { create_time: isoMillis(account.ledger.store.initiated[index] as number) } : {}),
                transaction_status: 'COMPLETED',
                gross_amount: amount,
                buyer: { name: dispute.buyerName },
                seller: { merchant_id: account.accountId, name: account.merchantName },
              },
            ],
          }
        : {}),
      reason: dispute.reason,
      status: dispute.status,
      dispute_amount: amount,
      ...(dispute.outcome !== undefined ? { dispute_outcome: { outcome_code: dispute.outcome, ...(dispute.outcome === 'RESOLVED_BUYER_FAVOUR' ? { amount_refunded: amount } : {}) } } : {}),
      dispute_life_cycle_stage: dispute.stage,
      dispute_channel: dispute.channel,
      ...(dispute.sellerResponseDue !== undefined ? { seller_response_due_date: isoMillis(dispute.sellerResponseDue) } : {}),
      links: [disputeLink(ctx, dispute)],
    },
  };
}

function disputeSummary(d: Dispute, ctx: RouteContext): Record<string, unknown> {
  return {
    dispute_id: d.id,
    create_time: isoMillis(d.createTime),
    update_time: isoMillis(d.updateTime),
    reason: d.reason,
    status: d.status,
    dispute_state: d.state,
    dispute_amount: money(d.amountMinor, d.currency),
    dispute_life_cycle_stage: d.stage,
    dispute_channel: d.channel,
    ...(d.sellerResponseDue !== undefined ? { seller_response_due_date: isoMillis(d.sellerResponseDue) } : {}),
    links: [disputeLink(ctx, d)],
  };
}

function disputeLink(ctx: RouteContext, d: Dispute): Link {
  return link(ctx, `${DISPUTES_PATH}/${encodeURIComponent(d.id)}`, 'self');
}

function readStates(q: QueryReader): Set<string> | undefined {
  const raw = q.string('dispute_state', { minLength: 1, maxLength: 2000 });
  if (raw === undefined) return undefined;
  const states = raw.split(',');
  const unknown = states.filter((s) => !(DISPUTE_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    q.fail('dispute_state', raw, 'INVALID_PARAMETER_VALUE', `dispute_state must be a comma-separated list of ${DISPUTE_STATES.join(', ')}.`);
    return undefined;
  }
  return new Set(states);
}

function encodeToken(d: Dispute): string {
  return Buffer.from(`${d.createTime}:${d.id}`, 'utf8').toString('base64');
}

function decodeToken(token: string): { createTime: number; id: string } | null {
  const text = Buffer.from(token, 'base64').toString('utf8');
  // Node decodes base64 leniently; only a token that round-trips is one we issued.
  if (Buffer.from(text, 'utf8').toString('base64') !== token) return null;
  const match = /^([0-9]{1,16}):([A-Za-z0-9-]{1,255})$/.exec(text);
  return match ? { createTime: Number(match[1]), id: match[2] as string } : null;
}
