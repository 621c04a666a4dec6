#!/bin/sh
# Run once by the minio-init service of docker-compose.cluster.yml (minio/mc
# image), again harmlessly on every `up`: the CRM's private bucket, and an
# access key for the CRM that reaches that bucket only (not MinIO's root).
set -eu

mc alias set crm "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "crm/$S3_BUCKET"
# No anonymous access: users reach a file only through the CRM's checked routes.
mc anonymous set none "crm/$S3_BUCKET"

# printf, a shell builtin: the mc image is a minimal one.
printf '%s\n' '{' \
    '  "Version": "2012-10-17",' \
    '  "Statement": [' \
    '    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"],' \
    "     \"Resource\": [\"arn:aws:s3:::$S3_BUCKET\"]}," \
    '    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",' \
    '                                   "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],' \
    "     \"Resource\": [\"arn:aws:s3:::$S3_BUCKET/*\"]}" \
    '  ]' \
    '}' >/tmp/crm-bucket.json
mc admin policy create crm crm-bucket /tmp/crm-bucket.json
mc admin user add crm "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY"
# Attaching twice is refused; what matters is that the policy is attached.
if ! mc admin policy attach crm crm-bucket --user "$S3_ACCESS_KEY_ID"; then
    case "$(mc admin user info crm "$S3_ACCESS_KEY_ID")" in
        *crm-bucket*) ;;
        *) echo "minio-init: the policy is not attached to $S3_ACCESS_KEY_ID" >&2; exit 1 ;;
    esac
fi
echo "minio-init: bucket $S3_BUCKET ready for $S3_ACCESS_KEY_ID"
