/**
 * Placeholders in the process target's commands, and the same values as
 * environment variables (for scripts that would rather read those):
 *
 *   {node}     FAULTLINE_NODE       the node's name: n1
 *   {address}  FAULTLINE_ADDRESS    its address: 10.241.0.2
 *   {port}     FAULTLINE_PORT       the port option
 *   {dataDir}  FAULTLINE_DATA_DIR   its data folder: wiped before the first start and after the run
 *   {nodeDir}  FAULTLINE_NODE_DIR   the node's folder (its data folder and the daemon's log are in it)
 *   {peers}    FAULTLINE_PEERS      the other nodes as address:port, comma-separated
 *   {members}  FAULTLINE_MEMBERS    every node as name=address, comma-separated: n1=10.241.0.2,n2=...
 *   {dir}      FAULTLINE_DIR        the config file's folder (on the controller; netns nodes share its files)
 *
 * The membership commands (addMember, removeMember) have two more, naming
 * the member added or removed (the command runs on another node):
 *
 *   {member}         FAULTLINE_MEMBER          its node's name
 *   {memberAddress}  FAULTLINE_MEMBER_ADDRESS  its address
 *
 * Only these names are replaced, and not after a `$` (so `${HOME}`, awk's
 * `{print $1}` and brace expansion are left alone). A value with characters
 * a shell would read specially is single-quoted.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';

export interface PlaceholderInput {
  node: NodeInfo;
  nodes: readonly NodeInfo[];
  port: number;
  dataDir: string;
  nodeDir: string;
  dir: string;
}

const ENV_NAMES = {
  node: 'FAULTLINE_NODE',
  address: 'FAULTLINE_ADDRESS',
  port: 'FAULTLINE_PORT',
  dataDir: 'FAULTLINE_DATA_DIR',
  nodeDir: 'FAULTLINE_NODE_DIR',
  peers: 'FAULTLINE_PEERS',
  members: 'FAULTLINE_MEMBERS',
  dir: 'FAULTLINE_DIR',
} as const;

export type Placeholder = keyof typeof ENV_NAMES;
export const PLACEHOLDERS = Object.keys(ENV_NAMES) as Placeholder[];

/** The value of every placeholder for one node. */
export function placeholderValues(input: PlaceholderInput): Record<Placeholder, string> {
  const { node, nodes, port } = input;
  return {
    node: node.name,
    address: node.address,
    port: String(port),
    dataDir: input.dataDir,
    nodeDir: input.nodeDir,
    peers: nodes
      .filter((n) => n.name !== node.name)
      .map((n) => `${n.address}:${port}`)
      .join(','),
    members: nodes.map((n) => `${n.name}=${n.address}`).join(','),
    dir: input.dir,
  };
}

const MEMBER_ENV_NAMES = { member: 'FAULTLINE_MEMBER', memberAddress: 'FAULTLINE_MEMBER_ADDRESS' } as const;

export type MemberPlaceholder = keyof typeof MEMBER_ENV_NAMES;

/** The membership commands' own placeholders: the member added or removed. */
export function memberValues(member: NodeInfo): Record<MemberPlaceholder, string> {
  return { member: member.name, memberAddress: member.address };
}

/** The member placeholders as FAULTLINE_MEMBER and FAULTLINE_MEMBER_ADDRESS. */
export function memberEnv(values: Record<MemberPlaceholder, string>): Record<string, string> {
  return { [MEMBER_ENV_NAMES.member]: values.member, [MEMBER_ENV_NAMES.memberAddress]: values.memberAddress };
}

/** The values as FAULTLINE_* environment variables. */
export function placeholderEnv(values: Record<Placeholder, string>): Record<string, string> {
  return Object.fromEntries(PLACEHOLDERS.map((p) => [ENV_NAMES[p], values[p]]));
}

/** `text` quoted for sh when it holds anything but plain path and address characters. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command with each known placeholder replaced by its value, quoted for sh. */
export function substitute(command: string, values: Readonly<Record<string, string>>): string {
  return replace(command, values, shellQuote);
}

/** Text that is not a command (a log file's path) with each known placeholder replaced by its value as it is. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return replace(text, values, (value) => value);
}

function replace(text: string, values: Readonly<Record<string, string>>, render: (value: string) => string): string {
  return text.replace(/(?<!\$)\{([A-Za-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? render(values[name] as string) : whole,
  );
}
