/**
 * Marks a plugin as not encapsulated, as `fastify-plugin` does (it is not a dependency of
 * this package): its hooks, handlers and decorators then apply to the whole app, not only to
 * routes the plugin itself registers. See Fastify's "Plugins" guide on `skip-override`.
 */
export function unencapsulated<Plugin extends object>(name: string, plugin: Plugin): Plugin {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  });
}
