/**
 * `$id`s of the standard components, in one place so that definitions refer to each other
 * by name instead of importing one another (which could form import cycles).
 */
export const ids = {
  // classes
  profile: 'https://ns.adobe.com/xdm/context/profile',
  experienceEvent: 'https://ns.adobe.com/xdm/context/experienceevent',
  // behaviors
  record: 'https://ns.adobe.com/xdm/data/record',
  timeSeries: 'https://ns.adobe.com/xdm/data/time-series',
  // field groups
  identityMap: 'https://ns.adobe.com/xdm/context/identitymap',
  profilePersonDetails: 'https://ns.adobe.com/xdm/context/profile-person-details',
  profilePersonalDetails: 'https://ns.adobe.com/xdm/context/profile-personal-details',
  profilePersonalFinanceDetails: 'https://ns.adobe.com/xdm/mixins/profile-personal-finance-details',
  experienceEventCommerce: 'https://ns.adobe.com/xdm/context/experienceevent-commerce',
  experienceEventOrderDetails: 'https://ns.adobe.com/xdm/context/experienceevent-order-details',
  experienceEventServicePaymentDetails: 'https://ns.adobe.com/xdm/mixins/experienceevent-service-payment-details',
  experienceEventBillPayDetails: 'https://ns.adobe.com/xdm/mixins/experienceevent-bill-pay-details',
  productMeasurement: 'https://ns.adobe.com/xdm/mixins/product-measurement',
  // data types
  auditable: 'https://ns.adobe.com/xdm/common/auditable',
  billing: 'https://ns.adobe.com/xdm/datatypes/billing',
  cart: 'https://ns.adobe.com/xdm/datatypes/cart',
  categoryData: 'https://ns.adobe.com/xdm/datatypes/categorydata',
  commerceScope: 'https://ns.adobe.com/xdm/datatypes/commercescope',
  currency: 'https://ns.adobe.com/xdm/datatypes/currency',
  measure: 'https://ns.adobe.com/xdm/data/measure',
  order: 'https://ns.adobe.com/xdm/data/order',
  paymentItem: 'https://ns.adobe.com/xdm/data/paymentitem',
  address: 'https://ns.adobe.com/xdm/common/address',
  emailAddress: 'https://ns.adobe.com/xdm/context/emailaddress',
  geo: 'https://ns.adobe.com/xdm/common/geo',
  phoneNumber: 'https://ns.adobe.com/xdm/context/phonenumber',
  extensible: 'https://ns.adobe.com/xdm/common/extensible',
  repositoryCommonProperties: 'http://ns.adobe.com/adobecloud/core/1.0',
  geoCoordinates: 'http://schema.org/GeoCoordinates',
  identity: 'https://ns.adobe.com/xdm/context/identity',
  identityItem: 'https://ns.adobe.com/xdm/context/identityitem',
  financialAccount: 'https://ns.adobe.com/xdm/datatypes/financial-account',
  toolUsage: 'https://ns.adobe.com/xdm/datatypes/tool-usage',
  transaction: 'https://ns.adobe.com/xdm/datatypes/transaction',
  commerce: 'https://ns.adobe.com/xdm/context/commerce',
  identityNamespace: 'https://ns.adobe.com/xdm/context/namespace',
  personName: 'https://ns.adobe.com/xdm/context/person-name',
  person: 'https://ns.adobe.com/xdm/context/person',
  productListItem: 'https://ns.adobe.com/xdm/content/productlistitem',
  refundItem: 'https://ns.adobe.com/xdm/data/refunditem',
  requisitionList: 'https://ns.adobe.com/xdm/datatypes/requisitionlist',
  orderReturn: 'https://ns.adobe.com/xdm/datatypes/return',
  returnItem: 'https://ns.adobe.com/xdm/datatypes/returnitem',
  shipping: 'https://ns.adobe.com/xdm/datatypes/shipping',
  storeWebOrder: 'https://ns.adobe.com/xdm/datatypes/store-web-order',
} as const;

/** A reference to one named definition: of this component (`id` omitted) or of another one. */
export function definitionRef(name: string, id = ''): string {
  return `${id}#/definitions/${name}`;
}
