// The host-mediated (RoCE v2 style) baseline of one pipeline hop, on the same hardware figures as the device-
// initiated path: the stages the simulation measures (compute, MAC, wire and switch, PCIe write latency) are
// reused, and the host's work is added where shared/corsair-facts.md puts it:
//   1. the accelerator finishes; the completion goes to the host (interrupt, driver wake-up);
//   2. the host posts a send; its doorbell reaches the NIC; the NIC reads the accelerator's buffer over PCIe
//      (a read request and its completions through the switch) into its own buffer;
//   3. the frames cross MAC, wire and switch, MAC as on the device-initiated path;
//   4. the receiving NIC writes the data into the next accelerator (the receive was posted ahead of time);
//      the receive completion goes to that host, which then tells the next accelerator to go (an MMIO write).
// Every host step waits for the one before it, as the facts say. All host figures are named parameters.

export interface HostParams {
  /** Completion interrupt to the host thread running again (MSI-X delivery, interrupt handler, wake-up). */
  completionToHostNs: number;
  /** Host software to post a work request (verbs post_send / post_recv path, building the WQE). */
  postWorkRequestNs: number;
  /** The NIC fetching and parsing a work request after its doorbell (WQE fetch over PCIe included). */
  nicWqeFetchNs: number;
  /** Host software from a receive completion to issuing the "go" MMIO write. */
  hostGoDecisionNs: number;
}

export const DEFAULT_HOST: HostParams = {
  completionToHostNs: 2000,
  postWorkRequestNs: 300,
  nicWqeFetchNs: 600,
  hostGoDecisionNs: 300,
};

/** The hardware figures of one hop, measured on the device-initiated simulation (ns). */
export interface HopHardware {
  /** One PCIe posted write from a card to the NIC (or back): switch and links. */
  pcieWriteNs: number;
  /** Moving `bytes` across the PCIe link at its bandwidth (serialisation). */
  pcieTransferNs: number;
  macTxNs: number;
  wireAndSwitchNs: number;
  macRxNs: number;
}

export interface Stage {
  name: string;
  ns: number;
}

/** The stages of a host-mediated hop, in order; their sum is the hop's latency. */
export function hostMediatedHop(hw: HopHardware, host: HostParams = DEFAULT_HOST): Stage[] {
  for (const [k, v] of Object.entries(host)) if (!(Number.isFinite(v) && v >= 0)) throw new Error(`host parameter ${k} = ${v}: must be a finite number >= 0`);
  return [
    { name: 'completion to host', ns: host.completionToHostNs },
    { name: 'host posts send', ns: host.postWorkRequestNs },
    { name: 'doorbell to NIC (PCIe write)', ns: hw.pcieWriteNs },
    { name: 'NIC fetches work request', ns: host.nicWqeFetchNs },
    // a read: the request goes to the accelerator and the completions come back, then the data streams
    { name: 'NIC reads accelerator (PCIe read)', ns: 2 * hw.pcieWriteNs + hw.pcieTransferNs },
    { name: 'MAC', ns: hw.macTxNs },
    { name: 'wire and switch', ns: hw.wireAndSwitchNs },
    { name: 'MAC ', ns: hw.macRxNs },
    { name: 'NIC writes accelerator (PCIe write)', ns: hw.pcieWriteNs + hw.pcieTransferNs },
    { name: 'receive completion to host', ns: host.completionToHostNs },
    { name: 'host decides go', ns: host.hostGoDecisionNs },
    { name: 'go (PCIe MMIO write)', ns: hw.pcieWriteNs },
  ];
}
