/** A column's type in XDM terms: a JSON Schema type, and a format for dates and times. */
export interface XdmColumnType {
  type: string;
  format?: string;
}

/** A column as the explore responses of AEP's file and tabular sources show it. */
export function exploreColumn(name: string, xdm: XdmColumnType): Record<string, unknown> {
  return { name, type: xdm.type, ...(xdm.format ? { 'meta:xdmType': xdm.format } : {}), xdm };
}
