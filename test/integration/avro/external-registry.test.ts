/**
 * Opt-in: the serde contract against a real Confluent-compatible registry, e.g.
 *   SCHEMA_REGISTRY_URL=http://127.0.0.1:8081 npx vitest run test/integration/avro/external-registry.test.ts
 * (Apicurio: http://host:port/apis/ccompat/v7). Skipped when SCHEMA_REGISTRY_URL is unset, because no
 * registry can be started on the project machines (see test/helpers/schema-registry.ts).
 */
import { describe } from 'vitest';
import { externalSchemaRegistry } from '../../helpers/schema-registry.js';
import { describeAvroSerdeContract } from '../../helpers/schema-registry-contract.js';

const external = externalSchemaRegistry();

describe.skipIf(!external)('external schema registry (SCHEMA_REGISTRY_URL)', () => {
  describeAvroSerdeContract(`Avro serde with the registry at ${external?.url}`, async () => external!);
});
