from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A reader comment on an incident, with the auto-moderation decision and its reasons."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)  # never shown publicly
    text = models.TextField(_("text"))  # plain text, sanitised before storing
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reasons = models.JSONField(_("moderation reasons"), default=list, blank=True)
    spam_score = models.FloatField(_("spam score"), default=0)
    rejection_reason = models.CharField(_("rejection reason"), max_length=30, blank=True)
    # Salted hashes: enough to ban and rate-limit, never the address in clear.
    address_hash = models.CharField(_("address hash"), max_length=64, db_index=True)
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    report_count = models.PositiveIntegerField(_("reader reports"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(fields=["incident", "status", "created_at"], name="comment_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"


class OfficialReply(models.Model):
    """The newsroom's answer under a comment, shown highlighted on the public page."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("text"))
    canned_reply = models.ForeignKey(
        "comments.CannedReply",
        verbose_name=_("canned reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("official reply")
        verbose_name_plural = _("official replies")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class CannedReply(models.Model):
    """A prepared answer to a frequent reader question, with placeholders."""

    category = models.CharField(_("category"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    question = models.CharField(_("typical question"), max_length=300)
    text = models.TextField(_("reply"))
    use_count = models.PositiveIntegerField(_("times used"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["language", "category"]

    def __str__(self) -> str:
        return f"[{self.language}] {self.category}"


class ModerationWord(models.Model):
    """A banned (reject) or suspect (hold) word, matched on word boundaries."""

    class Action(models.TextChoices):
        BANNED = "banned", _("Banned: reject")
        SUSPECT = "suspect", _("Suspect: hold for review")

    word = models.CharField(_("word"), max_length=80)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = _("moderation word")
        verbose_name_plural = _("moderation words")
        ordering = ["language", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word", "language"], name="moderationword_unique")
        ]

    def __str__(self) -> str:
        return self.word


class Ban(models.Model):
    """A banned commenter, by hashed address and/or hashed email."""

    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, db_index=True)
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.address_hash[:8] or self.email_hash[:8]} ({self.reason})"
