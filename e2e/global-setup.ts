import { ensureClientBuilt } from '../server/client-build';

/** The tests run the server as `npm start` does, so the client must be built first. */
export default async function globalSetup(): Promise<void> {
  await ensureClientBuilt();
}
