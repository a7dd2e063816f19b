-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "role" "Role" NOT NULL DEFAULT 'MEMBER';
