import { operationTypeLabel, type OperationDto } from "@/lib/schemas/operations";

/** "Restart on Gateway 1": how toasts and dialogs name an operation. */
export function operationLabel(op: Pick<OperationDto, "type" | "deviceId" | "deviceName">): string {
  return `${operationTypeLabel(op.type)} on ${op.deviceName ?? `device ${op.deviceId}`}`;
}
