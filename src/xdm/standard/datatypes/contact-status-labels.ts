/** Usability states shared by postal addresses and email addresses. The values are XDM's. */
export const contactStatusLabels: Readonly<Record<string, string>> = {
  active: 'Active',
  incomplete: 'Incomplete',
  pending_verification: 'Pending verification',
  blacklisted: 'Blacklisted',
  blocked: 'Blocked',
};
