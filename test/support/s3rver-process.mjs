// The S3-compatible server of the S3 tests (s3rver), in a process of its own: s3rver ciphers its continuation
// tokens with DES, which Node 20's OpenSSL 3 offers only with --openssl-legacy-provider (a flag for this process
// alone, not the test's). It stores objects in the folder named by argv[2] and tells the parent its port.
import S3rver from 's3rver';

const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true });
const address = await server.run();
process.send?.({ port: address.port });
// The test gone, so is its server.
process.on('disconnect', () => process.exit(0));
