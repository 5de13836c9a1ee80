import { startStandInSchemaRegistry } from '../../helpers/schema-registry.js';
import { describeAvroSerdeContract } from '../../helpers/schema-registry-contract.js';

// The full serde contract against the in-process stand-in registry (see test/helpers/schema-registry.ts
// for why a stand-in, and test/integration/avro/external-registry.test.ts for the same suite on a real one).
describeAvroSerdeContract('Avro serde with the stand-in schema registry', startStandInSchemaRegistry);
