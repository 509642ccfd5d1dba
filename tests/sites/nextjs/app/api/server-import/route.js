// The package imported on the server (a Node.js import in a route handler):
// the import must not throw, and convertro() must reject saying it needs a
// browser.
import { convertro, VERSION } from 'convertro-analytics-plugin';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    await convertro({ account: 'acme' });
    return Response.json({ imported: true, version: VERSION, rejected: false });
  } catch (error) {
    return Response.json({ imported: true, version: VERSION, rejected: true, isError: error instanceof Error, message: String(error?.message) });
  }
}
