import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's reference material (official AEP specs, XDM reference files) lives in `shared/`, beside the
 * repository in this workplace and in CI. A clone elsewhere may not have it: the tests that compare against it
 * are then skipped with a notice, except under CI=true, where their absence is an error.
 */
export const sharedDir = path.resolve(process.env.TRIBUTARY_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url)));

export const sharedReferenceAvailable = fs.existsSync(path.join(sharedDir, 'reference', 'aep-specs'));

export const referenceTestFiles = [
  'test/contract-validator.test.ts',
  'test/xdm-standard-library.test.ts',
  'test/standin-paypal-contract.test.ts',
  'test/standin-stripe-contract.test.ts',
  'test/standin-square-contract.test.ts',
  'test/postman-cdp.test.ts',
  'test/postman-luma.test.ts',
  'test/postman-plain.test.ts',
  'test/documented-routes.test.ts',
];

/** Throws under CI=true, warns otherwise; returns whether the reference material is there. */
export function checkSharedReference(): boolean {
  if (sharedReferenceAvailable) return true;
  const message = `shared reference material not found at ${sharedDir} (set TRIBUTARY_SHARED_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI requires it`);
  console.warn(`NOTICE: ${message}: contract checks and the XDM reference comparison are skipped.`);
  return false;
}
