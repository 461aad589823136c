import { fileURLToPath } from 'node:url';

/** The bundled demo tariff, found from the compiled file (dist/seed) and from the source (src/seed) alike. */
export const DEMO_TARIFF_PATH = fileURLToPath(new URL('../../samples/demo/tariff.yaml', import.meta.url));
