import { useState } from 'preact/hooks';
import { isSecretField, type ConnectionSpec, type JsonSchema } from './specs.js';

export interface AuthInput {
  name: string;
  specName: string;
  params: Record<string, unknown>;
}

/**
 * A form generated from the connection spec's `authSpec`: one field per property of the chosen auth type's JSON
 * Schema, required ones marked, secrets masked. What it produces is the `auth` of POST /connections.
 */
export function AuthForm({ spec, busy, onSubmit }: { spec: ConnectionSpec; busy: boolean; onSubmit: (input: AuthInput) => void }) {
  const types = spec.authSpec ?? [];
  const [typeName, setTypeName] = useState(types[0]?.name ?? '');
  const [name, setName] = useState(`${spec.name} account`);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const authType = types.find((t) => t.name === typeName);
  const properties = Object.entries(authType?.spec.properties ?? {});
  const required = new Set(authType?.spec.required ?? []);

  const params = () => {
    const out: Record<string, unknown> = {};
    for (const [key, schema] of properties) {
      const value = values[key];
      if (value === undefined || value === '') continue;
      out[key] = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
    }
    return out;
  };

  return (
    <form
      class="auth-form"
      aria-label="New account"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({ name: name.trim(), specName: typeName, params: params() });
      }}
    >
      <label>
        Account name
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      {types.length > 1 ? (
        <label>
          Authentication
          <select value={typeName} onChange={(e) => setTypeName(e.currentTarget.value)}>
            {types.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {properties.map(([key, schema]) => (
        <Field key={`${typeName}/${key}`} name={key} schema={schema} required={required.has(key)} value={values[key]} onChange={(value) => setValues({ ...values, [key]: value })} />
      ))}
      <button type="submit" disabled={busy}>
        Connect and test
      </button>
    </form>
  );
}

function Field({ name, schema, required, value, onChange }: { name: string; schema: JsonSchema; required: boolean; value: string | boolean | undefined; onChange: (value: string | boolean) => void }) {
  const label = (
    <>
      {name}
      {required ? <span aria-hidden="true"> *</span> : null}
      {schema.description ? <small>{schema.description}</small> : null}
    </>
  );
  if (schema.type === 'boolean') {
    return (
      <label class="checkbox">
        <input type="checkbox" name={name} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
        {label}
      </label>
    );
  }
  if (schema.enum) {
    return (
      <label>
        {label}
        <select name={name} required={required} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">Choose…</option>
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <label>
      {label}
      <input
        name={name}
        required={required}
        type={isSecretField(name, schema) ? 'password' : schema.type === 'integer' || schema.type === 'number' ? 'number' : 'text'}
        autoComplete={isSecretField(name, schema) ? 'new-password' : 'off'}
        value={typeof value === 'string' ? value : ''}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    </label>
  );
}
