import type { XdmColumnType } from '../../connectors/explorable-source.js';

export type { XdmColumnType };

/** A column as the explore responses of AEP's file and tabular sources show it. */
export function exploreColumn(name: string, xdm: XdmColumnType): Record<string, unknown> {
  return { name, type: xdm.type, ...(xdm.format ? { 'meta:xdmType': xdm.format } : {}), xdm };
}
