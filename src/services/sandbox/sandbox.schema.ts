import { Type, type Static } from 'typebox';

/** Sandbox Management requests and answers. */

const SandboxType = Type.Union([Type.Literal('development'), Type.Literal('production')]);

export const SandboxName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,255}$', description: 'lower-case letters, digits and hyphens' });

export const CreateSandbox = Type.Object({
  name: SandboxName,
  title: Type.String({ minLength: 1, maxLength: 256 }),
  type: Type.Union([Type.Literal('development'), Type.Literal('production')], { description: 'Only development sandboxes can be created; every org has its production sandbox "prod"' }),
});

export const UpdateSandbox = Type.Object({ title: Type.String({ minLength: 1, maxLength: 256 }) });

export const NameParams = Type.Object({ name: Type.String() });

/** A sandbox as the Sandbox API returns it. */
export const Sandbox = Type.Object(
  {
    name: Type.String({ description: 'What requests name it by, in x-sandbox-name' }),
    id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    state: Type.Union([Type.Literal('active'), Type.Literal('deleted')], { description: '"deleted" only in the answer to a delete' }),
    type: SandboxType,
    region: Type.String({ description: 'Always "local"' }),
    isDefault: Type.Boolean({ description: 'The org\'s production sandbox, which cannot be deleted' }),
    eTag: Type.Integer(),
    createdDate: Type.String({ format: 'date-time' }),
    lastModifiedDate: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    lastModifiedBy: Type.String(),
  },
  { description: 'The sandbox' },
);

/** The answer to a delete: the sandbox as it was, in state "deleted". */
export const DeletedSandbox = Type.Object({ ...Sandbox.properties, state: Type.Literal('deleted') }, { description: 'The sandbox as it was, in state "deleted"' });

/** The most sandboxes one page of the list holds. */
export const maxSandboxPage = 1000;

/** `limit` and `offset` come together or not at all (then 50 from the first), as the Sandbox API documents. */
export const SandboxListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxSandboxPage, description: 'How many sandboxes a page holds (50 unless given); send with offset' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'How many sandboxes, oldest first, come before the page; send with limit' })),
});

export type SandboxListQuery = Static<typeof SandboxListQuery>;

const PageLink = Type.Object({ href: Type.String() });

export const SandboxList = Type.Object(
  {
    sandboxes: Type.Array(Sandbox, { description: "The page of the org's sandboxes, oldest first" }),
    _page: Type.Object({ limit: Type.Integer(), count: Type.Integer() }, { description: 'The page size asked for, and how many sandboxes this page holds' }),
    _links: Type.Object({ next: Type.Optional(PageLink), prev: Type.Optional(PageLink) }, { description: 'The pages after and before this one, where there are any' }),
  },
  { description: "A page of the org's sandboxes" },
);

export const SandboxTypes = Type.Object({ sandboxTypes: Type.Array(SandboxType) }, { description: 'The types a sandbox can have' });
