import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import { unauthenticatedMessage } from './jwt';
import type { AuthenticationRefusal } from './jwt';
import type { Role, Viewer } from './viewer';

/**
 * type-graphql's `@Authorized(...roles)` check. It throws rather than returning false so that the
 * client gets the contract's codes: UNAUTHENTICATED without a valid token, FORBIDDEN for a role
 * that may not call the field.
 */
export const authChecker: AuthChecker<
  { viewer: Viewer | null; authenticationRefusal?: AuthenticationRefusal },
  Role
> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer) {
    throw new GraphQLError(unauthenticatedMessage(context.authenticationRefusal), {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  if (roles.length > 0 && !roles.includes(viewer.role)) {
    throw new GraphQLError('This operation is not allowed for your role.', { extensions: { code: 'FORBIDDEN' } });
  }
  return true;
};
