/** Payment method values shared by payment and refund items. The list is XDM's. */
export const paymentMethodLabels: Readonly<Record<string, string>> = {
  cash: 'Cash',
  credit_card: 'Credit Card',
  debit_card: 'Debit Card',
  gift_card: 'Gift Card',
  check: 'Check',
  paypal: 'PayPal',
  wire_transfer: 'Wire Transfer',
  credit_card_reference: 'Credit Card Reference Transaction',
  other: 'Other',
};
