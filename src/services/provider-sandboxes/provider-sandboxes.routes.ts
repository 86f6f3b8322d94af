import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

/**
 * A provider stand-in `tributary serve --sandbox` started beside the server: what a connection to it needs. Its
 * keys are the stand-in's own, generated for this machine, and reach nothing but the stand-in.
 */
export interface ProviderSandboxAccount {
  provider: string;
  connectionSpec: { id: string; version: string };
  auth: { specName: string; params: Record<string, string> };
}

const SandboxAccount = Type.Object({
  provider: Type.String({ description: 'paypal, stripe or square' }),
  connectionSpec: Type.Object({ id: Type.String(), version: Type.String() }),
  auth: Type.Object({ specName: Type.String(), params: Type.Record(Type.String(), Type.String()) }, { description: 'The `auth` of POST /connections for this stand-in' }),
});

const SandboxAccountList = Type.Object({ items: Type.Array(SandboxAccount) });

/**
 * `GET /tributary/sandbox-accounts`: the local provider stand-ins the server was started with (`serve --sandbox`),
 * so the console can offer "use the local sandbox account". Tributary's own API, outside AEP's paths; empty
 * when the server runs without stand-ins.
 */
export function registerProviderSandboxRoutes(app: FastifyInstance, deps: { accounts: readonly ProviderSandboxAccount[] }): void {
  app.get(
    '/tributary/sandbox-accounts',
    {
      schema: {
        tags: ['tributary'],
        summary: 'List the local provider stand-ins started with the server',
        description: 'Started by `tributary serve --sandbox`: a connection made with one of these reads generated data from a stand-in on this machine, never from the provider.',
        response: { 200: SandboxAccountList },
      },
    },
    async () => ({ items: deps.accounts.map((account) => ({ provider: account.provider, connectionSpec: account.connectionSpec, auth: account.auth })) }),
  );
}
