// One worker process of the shared-rate test: it opens the metadata store the test names, says `ready`, and on a
// line on stdin takes tokens of one shared bucket as fast as it can (`concurrency` requests waiting at once) for
// `ms`, then prints what it got as JSON. It runs the compiled code (dist/), as `tributary` itself does.
import readline from 'node:readline';
import { openStore } from '../../dist/store/open-store.js';
import { RateBucketsRepository } from '../../dist/store/rate-buckets.repository.js';
import { SharedRateBuckets } from '../../dist/connectors/rest/shared-rate-buckets.js';

const job = JSON.parse(process.argv[2] ?? '{}');
const store = await openStore(job.store);
const repository = new RateBucketsRepository(store);
let roundTrips = 0;
const counted = { reserve: (...args) => ((roundTrips += 1), repository.reserve(...args)) };
const bucket = new SharedRateBuckets(counted).bucket(job.key, job.limit);

process.stdout.write('ready\n');
const lines = readline.createInterface({ input: process.stdin });
// The test gone (its end of stdin closed) before the go, there is nothing to do.
lines.once('close', () => process.exit(1));
await new Promise((resolve) => lines.once('line', resolve));

let taken = 0;
const until = performance.now() + job.ms;
const taker = async () => {
  while (performance.now() < until) {
    await bucket.take();
    // A token that arrives after the end is still counted: it was granted.
    taken += 1;
  }
};
await Promise.all(Array.from({ length: job.concurrency }, taker));
await store.close();
process.stdout.write(`${JSON.stringify({ taken, roundTrips })}\n`);
process.exit(0);
