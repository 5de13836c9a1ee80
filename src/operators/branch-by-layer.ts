import type { StreamRecord } from '../runtime/record.js';
import { ForwardingProcessor } from './forwarding-processor.js';

/**
 * branchByLayer(): routes each record by a name (by default its top protocol layer) to one of a
 * fixed set of outputs. Names outside the set go to the default output. The set is fixed when the
 * topology is built: no output is ever created from record contents.
 */
export class BranchByLayerProcessor<K, V> extends ForwardingProcessor<K, V> {
  constructor(
    private readonly layerOf: (key: K, value: V) => string | undefined,
    /** layer name -> child node name; built once, looked up per record. */
    private readonly childOfLayer: ReadonlyMap<string, string>,
    private readonly defaultChild: string,
  ) {
    super();
  }

  process(record: StreamRecord<K, V>): void {
    const layer = this.layerOf(record.key, record.value);
    const child = layer === undefined ? undefined : this.childOfLayer.get(layer);
    this.context.forward(record, child ?? this.defaultChild);
  }
}
