import { Type } from 'typebox';

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

export const SandboxList = Type.Object(
  {
    sandboxes: Type.Array(Sandbox, { description: 'Every sandbox of the org, oldest first' }),
    _page: Type.Object({ limit: Type.Integer(), count: Type.Integer() }, { description: 'One page holds them all' }),
    _links: Type.Object({}),
  },
  { description: 'The org\'s sandboxes' },
);

export const SandboxTypes = Type.Object({ sandboxTypes: Type.Array(SandboxType) }, { description: 'The types a sandbox can have' });
