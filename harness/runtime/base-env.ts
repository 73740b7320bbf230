/**
 * The environment every command on a node starts from, on the netns and ssh
 * runtimes, so that a command behaves the same on each: nothing is inherited
 * from the controller's or the login environment. Each runtime adds HOME (the
 * home of the user the command runs as) and then ExecOptions.env.
 */
export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
};
