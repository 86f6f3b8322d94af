/** Where the Flow Service's routes live. */
export const flowBase = '/data/foundation/flowservice';
