import { describe, expect, it } from 'vitest';
import { fill, placeholderEnv, placeholderValues, shellQuote, substitute } from './placeholders.js';

const nodes = [
  { name: 'n1', address: '10.241.0.2' },
  { name: 'n2', address: '10.241.0.3' },
  { name: 'n3', address: '10.241.0.4' },
];
const values = placeholderValues({
  node: nodes[1]!,
  nodes,
  port: 8100,
  dataDir: '/var/lib/faultline/lib/n2/sut.data',
  nodeDir: '/var/lib/faultline/lib/n2',
  dir: '/home/me/my project',
});

describe('placeholders', () => {
  it('name the node, its peers and every member', () => {
    expect(values).toMatchObject({
      node: 'n2',
      address: '10.241.0.3',
      port: '8100',
      peers: '10.241.0.2:8100,10.241.0.4:8100',
      members: 'n1=10.241.0.2,n2=10.241.0.3,n3=10.241.0.4',
    });
    expect(placeholderEnv(values)).toMatchObject({
      FAULTLINE_NODE: 'n2',
      FAULTLINE_PEERS: '10.241.0.2:8100,10.241.0.4:8100',
      FAULTLINE_DIR: '/home/me/my project',
    });
  });

  it('are replaced in commands, also side by side, with values quoted for the shell when needed', () => {
    expect(substitute('srv --listen {address}:{port} --id {node}{port}', values)).toBe(
      'srv --listen 10.241.0.3:8100 --id n28100',
    );
    expect(substitute('python3 {dir}/kv.py', values)).toBe("python3 '/home/me/my project'/kv.py");
    expect(fill('{dir}/log', values)).toBe('/home/me/my project/log');
  });

  it('leave unknown names, $-braces and awk programs alone', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
    const command = "echo ${node} {nope} | awk '{print $1}' && echo {a,b}";
    expect(substitute(command, values)).toBe(command);
  });

  it('quote a single quote so sh reads it back', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('n1=10.0.0.2,n2=10.0.0.3')).toBe('n1=10.0.0.2,n2=10.0.0.3');
  });
});
