import { SERVER_EVENTS, type ServerEvent, type ServerEventName } from '../../../shared/api/events';

const isEventName = (name: string): name is ServerEventName => Object.hasOwn(SERVER_EVENTS, name);

/** Parses one server-sent event with its shared schema; anything else is dropped. */
export function parseServerEvent(name: string, data: string): ServerEvent | null {
  if (!isEventName(name)) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = SERVER_EVENTS[name].safeParse(json);
  return parsed.success ? ({ name, data: parsed.data } as ServerEvent) : null;
}
