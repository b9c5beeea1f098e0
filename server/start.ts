// `npm start`: build the client when needed, then run the server (with embedded mocks when no
// real Xentral or HubSpot is configured).
import { ensureClientBuilt } from './client-build';
import { main } from './main';

process.stdout.write('Preparing the client build…\n');
await ensureClientBuilt();
await main();
