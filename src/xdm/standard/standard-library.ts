/**
 * The standard XDM components this registry ships in its `global` container, in XED form.
 *
 * They are defined here, in TypeScript, after the XDM specification (github.com/adobe/xdm, CC BY 4.0):
 * names, types, constraints and titles follow it; descriptions are our own.
 */
import { experienceEvent } from './classes/experience-event.js';
import { profile } from './classes/profile.js';
import { record } from './behaviors/record.js';
import { timeSeries } from './behaviors/time-series.js';
import { experienceEventBillPayDetails } from './fieldgroups/experience-event-bill-pay-details.js';
import { experienceEventCommerce } from './fieldgroups/experience-event-commerce.js';
import { experienceEventOrderDetails } from './fieldgroups/experience-event-order-details.js';
import { experienceEventServicePaymentDetails } from './fieldgroups/experience-event-service-payment-details.js';
import { identityMap } from './fieldgroups/identity-map.js';
import { productMeasurement } from './fieldgroups/product-measurement.js';
import { profilePersonDetails } from './fieldgroups/profile-person-details.js';
import { profilePersonalDetails } from './fieldgroups/profile-personal-details.js';
import { profilePersonalFinanceDetails } from './fieldgroups/profile-personal-finance-details.js';
import { address } from './datatypes/address.js';
import { auditable } from './datatypes/auditable.js';
import { billing } from './datatypes/billing.js';
import { cart } from './datatypes/cart.js';
import { categoryData } from './datatypes/category-data.js';
import { commerce } from './datatypes/commerce.js';
import { commerceScope } from './datatypes/commerce-scope.js';
import { currency } from './datatypes/currency.js';
import { emailAddress } from './datatypes/email-address.js';
import { extensible } from './datatypes/extensible.js';
import { financialAccount } from './datatypes/financial-account.js';
import { geo } from './datatypes/geo.js';
import { geoCoordinates } from './datatypes/geo-coordinates.js';
import { identity } from './datatypes/identity.js';
import { identityItem } from './datatypes/identity-item.js';
import { identityNamespace } from './datatypes/identity-namespace.js';
import { measure } from './datatypes/measure.js';
import { order } from './datatypes/order.js';
import { orderReturn } from './datatypes/order-return.js';
import { paymentItem } from './datatypes/payment-item.js';
import { person } from './datatypes/person.js';
import { personName } from './datatypes/person-name.js';
import { phoneNumber } from './datatypes/phone-number.js';
import { productListItem } from './datatypes/product-list-item.js';
import { refundItem } from './datatypes/refund-item.js';
import { repositoryCommonProperties } from './datatypes/repository-common-properties.js';
import { requisitionList } from './datatypes/requisition-list.js';
import { returnItem } from './datatypes/return-item.js';
import { shipping } from './datatypes/shipping.js';
import { storeWebOrder } from './datatypes/store-web-order.js';
import { toolUsage } from './datatypes/tool-usage.js';
import { transaction } from './datatypes/transaction.js';
import type { XedDocument } from './xed-document.js';

export type { XedDocument } from './xed-document.js';
export type { JsonValue } from './json-value.js';

/** Shared by every request: frozen, so a caller that edits one in place fails loudly instead of corrupting it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every standard component: classes, behaviors, field groups (`mixins`), then data types. */
export const standardLibrary: readonly XedDocument[] = deepFreeze([
  profile,
  experienceEvent,
  record,
  timeSeries,
  identityMap,
  profilePersonDetails,
  profilePersonalDetails,
  profilePersonalFinanceDetails,
  experienceEventCommerce,
  experienceEventOrderDetails,
  experienceEventServicePaymentDetails,
  experienceEventBillPayDetails,
  productMeasurement,
  auditable,
  address,
  billing,
  cart,
  categoryData,
  commerce,
  commerceScope,
  currency,
  emailAddress,
  extensible,
  financialAccount,
  geo,
  geoCoordinates,
  identity,
  identityItem,
  identityNamespace,
  measure,
  order,
  orderReturn,
  paymentItem,
  person,
  personName,
  phoneNumber,
  productListItem,
  refundItem,
  repositoryCommonProperties,
  requisitionList,
  returnItem,
  shipping,
  storeWebOrder,
  toolUsage,
  transaction,
]);

const byIdOrAltId = new Map<string, XedDocument>();
for (const doc of standardLibrary) {
  for (const key of [doc.$id, doc['meta:altId']]) {
    if (typeof key !== 'string') throw new Error('standard component without $id or meta:altId');
    if (byIdOrAltId.has(key)) throw new Error(`duplicate standard component ${key}`);
    byIdOrAltId.set(key, doc);
  }
}

/** A standard component by `$id` (`https://ns.adobe.com/xdm/context/profile`) or `meta:altId` (`_xdm.context.profile`). */
export function findStandard(idOrAltId: string): XedDocument | undefined {
  return byIdOrAltId.get(idOrAltId);
}
