import { it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi } from './support/test-api.js';
import { Fixture } from './support/fuzz/fixture.js';
it('builds', async () => {
  const [b] = await availableBackends();
  const api = await startApi(b!);
  const f = new Fixture(api);
  const t0 = Date.now();
  await f.build();
  console.log(f.ids, f.mappingRuleId, Date.now() - t0);
  const t1 = Date.now();
  console.log(await f.repair(), Date.now() - t1);
  const t2 = Date.now();
  for (let i = 0; i < 100; i++) await api.request('GET', '/data/foundation/schemaregistry/tenant/schemas');
  console.log('100 gets', Date.now() - t2);
  await api.close();
});
